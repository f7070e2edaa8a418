export { SluiceError } from './errors.ts';
