// The string set in use. Russian is the default; another language is one more file with the same keys
// (messages.en.js), added to `sets`, and chosen by localStorage 'socnet.lang' (docs/web-client.md).
import ru from './messages.ru.js';

const sets = { ru };
const chosen = localStorage.getItem('socnet.lang');

export const lang = chosen in sets ? chosen : 'ru';
export const t = sets[lang];

document.documentElement.lang = lang;
