import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// DejaVu Sans, shipped by an npm package rather than read from the system, so the invoice looks the
// same on every machine. An embedded TrueType font, not one of the 14 standard PDF fonts: those are
// not embedded (PDF/A, hence Factur-X, forbids that) and only know WinAnsi, which has no "œ" or "’".

export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

let fontFiles: Promise<FontFiles> | undefined;

export function loadInvoiceFonts(): Promise<FontFiles> {
  fontFiles ??= (async () => {
    const require = createRequire(import.meta.url);
    const [regular, bold] = await Promise.all([
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    ]);
    return { regular, bold };
  })();
  // A failed read is not cached: the next invoice tries again.
  fontFiles.catch(() => {
    fontFiles = undefined;
  });
  return fontFiles;
}
