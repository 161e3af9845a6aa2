/** Reads a PDF back with pdfjs-dist (Mozilla's reader), as a buyer's viewer would: text items per page. */
export interface PdfText {
  pages: number;
  /** Each page's items in content order, as pdfjs extracts them (empty items dropped). */
  items: string[][];
  /** Items of all pages, joined by " | ". */
  joined: string;
  /** Each page's items with where they start (points from the page's bottom left). */
  placed: { str: string; x: number; y: number }[][];
  /** The font families pdfjs reports for the text. */
  fonts: string[];
}

export async function readPdf(bytes: Uint8Array): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const items: string[][] = [];
  const placed: { str: string; x: number; y: number }[][] = [];
  const fonts = new Set<string>();
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    items.push(content.items.map((item) => ('str' in item ? item.str : '')).filter((s) => s.trim() !== ''));
    placed.push(content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number }] : [])));
    for (const style of Object.values(content.styles)) fonts.add(style.fontFamily);
  }
  await doc.destroy();
  return { pages: doc.numPages, items, placed, joined: items.map((p) => p.join(' | ')).join(' || '), fonts: [...fonts] };
}
