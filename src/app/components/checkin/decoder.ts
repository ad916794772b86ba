/**
 * QR decoding for the scan screen, loaded only there. The browser's own BarcodeDetector where it
 * reads QR codes; else the zxing-wasm ponyfill with its .wasm from our own origin (precached by
 * the service worker) — the package's default would fetch it from a CDN.
 */
export interface QrDetector {
  kind: 'native' | 'zxing'
  detect: (source: ImageBitmapSource) => Promise<string[]>
}

interface NativeDetector { detect: (s: ImageBitmapSource) => Promise<{ rawValue: string }[]> }
interface NativeDetectorClass {
  new (o: { formats: string[] }): NativeDetector
  getSupportedFormats: () => Promise<string[]>
}

export async function createQrDetector(forceZxing = false): Promise<QrDetector> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector
  if (Native && !forceZxing) {
    const formats = await Native.getSupportedFormats().catch(() => [] as string[])
    if (formats.includes('qr_code')) {
      const d = new Native({ formats: ['qr_code'] })
      return { kind: 'native', detect: async s => (await d.detect(s)).map(b => b.rawValue) }
    }
  }
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
    import('barcode-detector/ponyfill'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ])
  await prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => path.endsWith('.wasm') ? wasmUrl : prefix + path },
    fireImmediately: true,
  })
  const d = new BarcodeDetector({ formats: ['qr_code'] })
  return { kind: 'zxing', detect: async s => (await d.detect(s)).map(b => b.rawValue) }
}
