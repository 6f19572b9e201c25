/** The centre's clock on the wall: time in the centre's zone (not the machine's), with the zone's name. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatTime, formatZone, getCentreTimeZone } from '../i18n/format.js';

export function CentreClock() {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { const id = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(id); }, []);
  return (
    <span className="centre-clock" data-testid="centre-clock" title={t('topbar.clockHint', { zone: getCentreTimeZone() })}>
      {formatDate(now)} <b>{formatTime(now)}</b> {formatZone(now)}
    </span>
  );
}
