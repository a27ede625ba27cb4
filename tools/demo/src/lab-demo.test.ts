import { describe, expect, it } from 'vitest';
import { formatAnnouncerTable } from './lab-demo.ts';

describe('formatAnnouncerTable', () => {
  it('prints one aligned line per address under a header, without trailing spaces', () => {
    const table = formatAnnouncerTable([
      {
        service: 'lab/web-ipv4',
        address: '192.0.2.128',
        family: 'IPv4',
        announcer: 'n-node-2,eth0',
        reached: 'answered by n-node-2',
      },
      {
        service: 'lab/web-dual',
        address: '2001:db8:1::1:1',
        family: 'IPv6',
        announcer: 'n-node-1,eth0',
        reached: 'no answer',
      },
    ]);
    expect(table.split('\n')).toEqual([
      'SERVICE       ADDRESS          ANNOUNCED BY (node,interface)  CLIENT TCP CONNECT :8080',
      'lab/web-ipv4  192.0.2.128      n-node-2,eth0                  answered by n-node-2',
      'lab/web-dual  2001:db8:1::1:1  n-node-1,eth0                  no answer',
    ]);
  });
});
