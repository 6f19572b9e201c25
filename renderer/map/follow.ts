/**
 * Follow a unit (issue 10 §3): the cone test and the choice of camera are the host's pure core
 * (electron/contract/follow-core.ts), which runs the follow tile; the map uses the same test for coverage.
 */
export { bearingDeg, chooseFollowCamera, sight, sightCameras, type SightCamera } from '../../electron/contract/follow-core.js';
