// The driver contract against the in-memory fake.
import { describeDriverContract } from './driver-contract.fixture.ts';
import type { Outside } from './driver-contract.fixture.ts';
import { createFakeKernel } from './testing/index.ts';

describeDriverContract('in-memory fake', () => {
  const kernel = createFakeKernel({ supportedKinds: ['ifb', 'bridge'] });
  const outside: Outside = {
    addBridge: (name) => {
      kernel.outside.addLink({ name, kind: 'bridge' });
    },
    removeLink: (name) => {
      kernel.outside.removeLink(name);
    },
    addAddress: (link, cidr) => {
      kernel.outside.addAddress({ link, cidr });
    },
    removeAddress: (link, cidr) => {
      kernel.outside.removeAddress(link, cidr);
    },
    addDefaultRoute: (route) => {
      kernel.outside.addDefaultRoute(route);
    },
  };
  let driver = kernel.driver();
  return Promise.resolve({
    get driver() {
      return driver;
    },
    outside,
    restart: () => {
      driver.close();
      driver = kernel.driver();
      return Promise.resolve(driver);
    },
    readOnly: () => Promise.resolve(kernel.driver({ readOnly: true })),
    dispose: () => {
      driver.close();
      return Promise.resolve();
    },
  });
});
