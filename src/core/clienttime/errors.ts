/**
 * Thrown for input the engine cannot work with: an unknown time zone, country, calendar date,
 * time of day or instant. The message names the bad input so a rep or admin can fix it.
 */
export class ClientTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientTimeError';
  }
}
