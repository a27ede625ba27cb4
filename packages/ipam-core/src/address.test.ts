import { expect, it } from 'vitest';
import { parseAddress } from '@purelb/ipam-core';
it('trims', () => { expect(parseAddress(' 192.0.2.1 ')).toBe('192.0.2.1'); });
