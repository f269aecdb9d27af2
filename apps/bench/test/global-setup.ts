export { setup } from '@reelhouse/services/testing';
