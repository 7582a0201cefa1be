/**
 * The curves' Vega-Lite spec rendered headless: Vega-Lite compiles it to Vega, Vega's View draws
 * it to SVG without a browser (renderer `none`), and resvg, when its prebuilt binary loads on this
 * platform, rasterises the SVG to PNG.
 */
export interface RenderedCurves {
  svg: string;
  png?: Uint8Array;
  /** Why there is no PNG. */
  pngSkipped?: string;
}

export async function renderCurves(spec: Record<string, unknown>): Promise<RenderedCurves> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    try {
      const { Resvg } = await import('@resvg/resvg-js');
      const png = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
      return { svg, png: new Uint8Array(png) };
    } catch (error) {
      return { svg, pngSkipped: `the PNG renderer (@resvg/resvg-js) is not available here: ${(error as Error).message.split('\n')[0]}` };
    }
  } finally {
    view.finalize();
  }
}
