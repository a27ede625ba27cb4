export { parseAddress } from './address.ts';
