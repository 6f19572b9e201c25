/**
 * The after-action review's lanes under the replay's timeline (issue 11 §3): what was expected, what the trainee did,
 * the trainer's comments and the differences, on the timeline's own window (zoomed and panned with it, marks outside it
 * left out); a click on a mark seeks the replay there.
 */
import { useTranslation } from 'react-i18next';
import type { LaneItem, ReviewDifference } from '../../electron/contract/training/review-lanes.js';
import { axisPercent, fractionOf, playheadLeft, type TimelineView } from '../review/timeline-model.js';
import { formatClock } from './training-store.js';

interface Props {
  items: LaneItem[];
  differences: ReviewDifference[];
  /** The timeline's window as drawn (wall ms). */
  view: TimelineView;
  /** The session's start (wall ms): lane moments are ms from it. */
  startedAt: number;
  /** The playhead, ms from the session's start. */
  positionMs: number;
  onSeek(atMs: number): void;
  itemText(item: LaneItem): string;
  /** A scripted event as a person reads it (its moment, kind and camera). */
  eventName(eventId: string): string;
}

const LANES = ['expected', 'did', 'comments'] as const;
const inView = (f: number) => f >= 0 && f <= 1;

export function ReviewLanes({ items, differences, view, startedAt, positionMs, onSeek, itemText, eventName }: Props) {
  const { t } = useTranslation();
  const at = (ms: number) => fractionOf(view, startedAt + ms);
  const mark = (key: string, atMs: number, className: string, title: string, data: Record<string, string>) => (
    <button key={key} className={`rl-mark ${className}`} style={{ left: axisPercent(at(atMs)) }} title={`${formatClock(atMs)} · ${title}`}
      onClick={() => onSeek(atMs)} data-at={atMs} {...data} />
  );
  const playhead = at(positionMs);
  return (
    <div className="review-lanes" data-testid="review-lanes">
      {LANES.map((lane) => (
        <div key={lane} className="rl-row" data-lane={lane}>
          <div className="rl-label">{t(`trainingReview.lane.${lane}`)}</div>
          <div className="rl-track">
            {items.filter((i) => i.lane === lane && inView(at(i.atMs))).map((i) => mark(i.id, i.atMs, `rl-${lane}${i.difference ? ' rl-diff' : ''}`, itemText(i), { 'data-item': i.id }))}
          </div>
        </div>
      ))}
      <div className="rl-row" data-lane="differences">
        <div className="rl-label">{t('trainingReview.differences')}</div>
        <div className="rl-track">
          {differences.filter((d) => inView(at(d.atMs))).map((d) => mark(d.id, d.atMs, 'rl-difference', `${t(`trainingReview.diff.${d.code}`)} · ${eventName(d.eventId)}`, { 'data-diff': d.code, 'data-event': d.eventId }))}
        </div>
      </div>
      {inView(playhead) && <div className="rl-playhead" style={{ left: playheadLeft(playhead) }} />}
    </div>
  );
}
