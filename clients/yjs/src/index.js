export { SwitchboardProvider } from './provider.js';
export { UPDATE_EVENT } from './update-publisher.js';
export { SNAPSHOT_EVENT, SNAPSHOT_PART_EVENT } from './log-applier.js';
export { AWARENESS_SIGNAL } from './awareness-relay.js';
