// WCAG 2 contrast: the brand colour's text must stay readable (AA asks 4.5:1 for normal text).
export const AA_TEXT = 4.5;
const LIGHT = "#ffffff";
const DARK = "#1d2433";

/** Relative luminance of "#rrggbb", as WCAG defines it. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** The text colour for a background of `color`: white unless the dark ink reads better on it. */
export function textOn(color: string): string {
  return contrastRatio(color, LIGHT) >= contrastRatio(color, DARK) ? LIGHT : DARK;
}
