export function parseAddress(text: string): string {
  return text.trim();
}
