import { DocumentInputError, layoutDocument, type DocumentInput } from '../../core/documents/index.js';

/**
 * The layout version documents are drawn with. A stored document records it; re-drawing a stored
 * document with the same version gives the same bytes. Raise it when the page changes.
 */
export const DOCUMENT_LAYOUT_VERSION = 1;

/** One document to draw: plain data, so it crosses to a worker thread by structured clone. */
export interface DocumentTask {
  input: DocumentInput;
  title: string;
  /** ISO instant written as the PDF's creation date (the document's own, so re-draws match). */
  createdAt: string;
  author?: string | undefined;
}

export type DocumentTaskResult = { ok: true; pdf: Uint8Array } | { ok: false; code: 'invalid_document' | 'unprintable_text'; message: string; details: { path: string; message: string }[] };

// pdf-lib and fontkit (~230 ms to load) on the first document, not at every store start.
let pdfModule: Promise<typeof import('./pdf.js')> | undefined;

export async function runDocumentTask(task: DocumentTask): Promise<DocumentTaskResult> {
  const { DocumentFontError, renderDocumentPdf } = await (pdfModule ??= import('./pdf.js'));
  try {
    const layout = layoutDocument(task.input);
    const pdf = await renderDocumentPdf(layout, { title: task.title, createdAt: new Date(task.createdAt), author: task.author });
    return { ok: true, pdf };
  } catch (error) {
    if (error instanceof DocumentInputError) return { ok: false, code: 'invalid_document', message: error.message, details: error.problems };
    if (error instanceof DocumentFontError) return { ok: false, code: 'unprintable_text', message: error.message, details: [] };
    throw error;
  }
}

/** Where documents are drawn: the store's worker pool (documents/pool.ts), or in-line (CLI, tests). */
export type DocumentRenderer = (task: DocumentTask) => Promise<DocumentTaskResult>;

export const renderDocumentInline: DocumentRenderer = (task) => runDocumentTask(task);
