// @purelb/ipam-core as a consumer outside the workspace uses it: validate a group, allocate a
// dual-stack pair, read the group's statistics.
import assert from 'node:assert/strict';
import { createIpam, DEFAULT_SERVICE_GROUP, validateServiceGroups } from '@purelb/ipam-core';
import type { AllocationResult } from '@purelb/ipam-core';

const ipam = createIpam(
  validateServiceGroups([
    {
      name: DEFAULT_SERVICE_GROUP,
      createdAt: 0,
      spec: {
        local: {
          v4pools: [{ pool: '192.0.2.10-192.0.2.20', subnet: '192.0.2.0/24' }],
          v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }],
        },
      },
    },
  ]),
);
const result: AllocationResult = ipam.allocate({
  key: 'ns/web',
  ipFamilies: ['IPv4', 'IPv6'],
  ipFamilyPolicy: 'RequireDualStack',
});
assert.ok(result.ok);
assert.deepEqual(
  result.value.addresses.map((a) => a.address),
  ['192.0.2.10', '2001:db8::'],
);
assert.equal(result.value.group, DEFAULT_SERVICE_GROUP);
assert.equal(ipam.groupStats(DEFAULT_SERVICE_GROUP)?.IPv6.available, 2n ** 64n - 1n);
console.log('ok @purelb/ipam-core');
