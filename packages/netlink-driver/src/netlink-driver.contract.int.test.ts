// The driver contract against the real kernel, in a fresh network namespace per test.
import { describeDriverContract } from './driver-contract.fixture.ts';
import { createNamespaceWorld } from './namespace-world.fixture.ts';

describeDriverContract('real kernel in a network namespace', createNamespaceWorld);
