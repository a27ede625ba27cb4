// Aligned text tables, kubectl style: a header in capitals, columns three blanks apart, no trailing
// blanks; an empty cell prints as `-` only where the caller says so.

/** Formats a header and rows; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((line) => (line[col] ?? '').length)));
  return all
    .map((line) =>
      header
        .map((_, col) => {
          const cell = line[col] ?? '';
          return col === header.length - 1 ? cell : cell.padEnd(widths[col] ?? 0);
        })
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
