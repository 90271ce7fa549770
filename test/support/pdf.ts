import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { type PDFDocumentProxy, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Reading generated PDFs in tests with PDF.js (`pdfjs-dist`, in process; pages are drawn on `@napi-rs/canvas`), so
 * that the suites need no system program. Jest compiles PDF.js's ES modules like the other ESM-only packages
 * (jest.config.js `ESM_ONLY`).
 */

// The 14 standard PDF fonts shipped with PDF.js, for text drawn in a font the PDF does not embed (chart labels).
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

async function open(pdf: Uint8Array): Promise<PDFDocumentProxy> {
  // PDF.js takes ownership of (detaches) the array it is given: hand it a copy.
  return getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONTS, verbosity: 0 }).promise;
}

/**
 * The text of every page of `pdf`, in content order: the runs of a line joined as PDF.js reports them (with the
 * spaces it infers from the gaps), a line break where PDF.js sees the end of a line, a form feed between pages.
 * A table cell or a heading comes out as one run, so tests look for them with `toContain`.
 * @throws when `pdf` is not a readable PDF (PDF.js's `InvalidPDFException`).
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await open(pdf);
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { items } = await (await doc.getPage(n)).getTextContent();
      pages.push(items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages.join('\f');
  } finally {
    await doc.destroy();
  }
}

/** A page drawn by {@link renderFirstPage}. */
export interface RenderedPage {
  /** Size in pixels (the page size in points × dpi / 72, rounded up). */
  width: number;
  height: number;
  /** The image as PNG bytes. */
  png: Buffer;
  /** Share (0–1) of the pixels that are not white: 0 for a blank page. */
  inked: number;
}

/**
 * Draws the first page of `pdf` at `dpi` dots per inch (default 50) on a white background.
 * @throws when `pdf` is not a readable PDF or has no page.
 */
export async function renderFirstPage(pdf: Uint8Array, dpi = 50): Promise<RenderedPage> {
  const doc = await open(pdf);
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport, background: 'white' }).promise;
    const { data } = context.getImageData(0, 0, width, height);
    let inkedPixels = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inkedPixels++;
    return { width, height, png: canvas.toBuffer('image/png'), inked: inkedPixels / (width * height) };
  } finally {
    await doc.destroy();
  }
}
