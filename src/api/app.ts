import { SIDECAR_PROXY } from '../constants';
import { SidecarClient } from './client';

/** The sidecar as the app's pages reach it: through the app's proxy route, which adds the token. */
export const appClient = new SidecarClient(SIDECAR_PROXY);
