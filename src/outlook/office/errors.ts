/**
 * Errors the Office adapter raises. Office reports failures as `asyncResult.error` with a
 * numeric code (e.g. 9041 "the item is not a message") and a name; callers branch on `code`
 * and show `message`.
 */
export class OfficeError extends Error {
  override readonly name = 'OfficeError';
  constructor(
    /** Office's error code (a number for most APIs, a string name for some). */
    readonly code: number | string,
    message: string,
    /** Office's error name, e.g. "InvalidSelection". */
    readonly officeName?: string,
  ) {
    super(message);
  }
}

/** Office.js is not loaded, or the item / API the caller needs is not there in this client. */
export class OfficeUnavailableError extends Error {
  override readonly name = 'OfficeUnavailableError';
}
