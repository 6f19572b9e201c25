/**
 * Standard operating procedures per alarm type and the rules a fresh installation starts with.
 * Edited by supervisors later; these are the defaults a situation centre would recognise.
 */
import type { EventType } from '../../contract/events-schema.js';
import type { RuleInput } from '../../contract/alarms-schema.js';

export const DEFAULT_SOP: Record<EventType, string[]> = {
  face_match: ['Compare the face with the watch-list photo', 'Check the person on neighbouring cameras', 'Call the district duty officer', 'Record the direction of travel'],
  plate: ['Read the plate on the picture', 'Check the vehicle against the wanted list', 'Notify the traffic police patrol'],
  traffic_violation: ['Confirm the violation on video', 'Read the plate', 'Send to the violation processing centre'],
  abandoned_object: ['Look for the owner on the recording', 'Call the patrol to the place', 'If unattended: cordon and call the bomb squad'],
  crowd: ['Estimate the crowd and its mood', 'Inform the district duty officer'],
  tamper: ['Check the camera picture', 'Create a maintenance ticket'],
  camera_offline: ['Check the camera on other clients', 'Create a maintenance ticket'],
  storage: ['Check the recordings disk (free space, mount, read-only)', 'Release evidence locks no longer needed or add storage', 'Create a maintenance ticket'],
  motion: ['Look at the scene'],
  object: ['Look at the scene'],
};

export const DEFAULT_RULES: RuleInput[] = [
  { id: 'watchlist-face', name: 'Face on a watch list', types: ['face_match'], minConfidence: 0.6, priority: 1, claimWithinSec: 60 },
  { id: 'watchlist-plate', name: 'Plate on a watch list', types: ['plate'], watchlists: ['wanted', 'stolen'], priority: 1, claimWithinSec: 60 },
  { id: 'abandoned-object', name: 'Abandoned object', types: ['abandoned_object'], priority: 2, claimWithinSec: 90 },
  { id: 'traffic-violation', name: 'Traffic violation', types: ['traffic_violation'], priority: 3, dedupWindowSec: 30 },
  { id: 'crowd', name: 'Crowd over the limit', types: ['crowd'], priority: 3 },
  { id: 'tamper', name: 'Camera tampering', types: ['tamper'], priority: 2 },
  { id: 'camera-offline', name: 'Camera offline', types: ['camera_offline'], priority: 4, dedupWindowSec: 600 },
  { id: 'storage', name: 'Recording storage', types: ['storage'], priority: 2, dedupWindowSec: 600 },
  { id: 'motion', name: 'Motion', types: ['motion'], priority: 5, minConfidence: 0.3, dedupWindowSec: 120, claimWithinSec: 0 },
];

/** Rules Kuzet's own health alarms depend on: added to saved rule sets that predate them. */
export const SYSTEM_RULE_IDS: readonly string[] = ['storage'];
