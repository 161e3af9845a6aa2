/** A follow-up setting that cannot be used, with the field it is about. */
export class FollowUpError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'FollowUpError';
  }
}
