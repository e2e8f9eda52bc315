export { SwitchboardProvider } from './provider.js';
export { UPDATE_EVENT } from './update-publisher.js';
export { AWARENESS_SIGNAL } from './awareness-relay.js';
