/** The access screens' strings: keys under signin., lock., menu., handover., password., session., forbidden. in resources/locales. */
export { t } from '../i18n/i18n.js';
