// `npm run lab -- <command> [flags]`, parsed into a typed command or a usage problem.
import { parseArgs } from 'node:util';

export const USAGE = [
  'usage: npm run lab -- up [--nodes N] [--second-lan 2,3] [--second-lan-only 4] [--router]',
  '                         [--kubeconfig PATH | --api-server URL] [--id ID]',
  '       npm run lab -- status',
  '       npm run lab -- down [--id ID]',
].join('\n');

export type CliCommand =
  | {
      readonly kind: 'up';
      readonly nodes: number;
      readonly secondLan: readonly number[];
      readonly secondLanOnly: readonly number[];
      readonly router: boolean;
      readonly kubeconfig: string | undefined;
      readonly apiServer: string | undefined;
      readonly id: string | undefined;
    }
  | { readonly kind: 'status' }
  | { readonly kind: 'down'; readonly id: string | undefined };

export type CliParse =
  | { readonly ok: true; readonly value: CliCommand }
  | { readonly ok: false; readonly error: { readonly code: 'Usage'; readonly message: string } };

const usage = (message: string): CliParse => ({ ok: false, error: { code: 'Usage', message } });

function wholeNumbers(text: string): number[] | undefined {
  const parts = text.split(',').map((p) => p.trim());
  return parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : undefined;
}

export function parseCli(argv: readonly string[]): CliParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        nodes: { type: 'string' },
        'second-lan': { type: 'string' },
        'second-lan-only': { type: 'string' },
        router: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        'api-server': { type: 'string' },
        id: { type: 'string' },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { positionals, values } = parsed;
  const [command, ...rest] = positionals;
  if (rest.length > 0) return usage(`unexpected argument ${rest[0] ?? ''}`);
  switch (command) {
    case 'up': {
      const nodes = wholeNumbers(values.nodes ?? '3');
      if (nodes?.length !== 1) return usage(`--nodes ${values.nodes ?? ''} is not a whole number`);
      const secondLan = values['second-lan'] === undefined ? [] : wholeNumbers(values['second-lan']);
      if (secondLan === undefined) return usage(`--second-lan ${values['second-lan'] ?? ''} is not a list like 2,3`);
      const only = values['second-lan-only'];
      const secondLanOnly = only === undefined ? [] : wholeNumbers(only);
      if (secondLanOnly === undefined) return usage(`--second-lan-only ${only ?? ''} is not a list like 2,3`);
      if (values.kubeconfig !== undefined && values['api-server'] !== undefined) {
        return usage('give --kubeconfig or --api-server, not both');
      }
      return {
        ok: true,
        value: {
          kind: 'up',
          nodes: nodes[0] ?? 3,
          secondLan,
          secondLanOnly,
          router: values.router ?? false,
          kubeconfig: values.kubeconfig,
          apiServer: values['api-server'],
          id: values.id,
        },
      };
    }
    case 'status':
      return { ok: true, value: { kind: 'status' } };
    case 'down':
      return { ok: true, value: { kind: 'down', id: values.id } };
    case undefined:
      return usage('no command');
    default:
      return usage(`unknown command ${command}`);
  }
}
