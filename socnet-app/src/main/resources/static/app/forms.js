// Form controls with their labels and error slots. An API error that names a field (the `field` of the
// API's error body) is shown under that field's control; any other error above the submit button.
import { h, uid, fill } from './dom.js';
import { t } from './i18n.js';

/**
 * A labelled control: {name, label, type = 'text', hint, multiline, ...attributes}.
 * @returns {HTMLElement} a wrapper holding label, control, hint and the error slot
 */
export function field({ name, label, type = 'text', hint, multiline = false, ...attributes }) {
  const id = uid(name);
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const control = multiline
    ? h('textarea', { id, name, rows: 3, ...attributes })
    : h('input', { id, name, type, ...attributes });
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label),
    control,
    hint && h('p', { class: 'hint', id: hintId }, hint),
    h('p', { class: 'error', id: errorId, role: 'alert', hidden: true }));
}

/** The form-wide error slot: put it before the submit button. */
export function formError() {
  return h('p', { class: 'error form-error', role: 'alert', hidden: true });
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.error')) {
    slot.hidden = true;
    slot.replaceChildren();
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/**
 * Shows an ApiError next to the control it names (focusing it, unless focus is false), or in the
 * form-wide slot.
 */
export function showError(form, error, { focus = true } = {}) {
  const wrapper = error.field && form.querySelector(`.field[data-field="${CSS.escape(error.field)}"]`);
  if (wrapper) {
    const control = wrapper.querySelector('input, textarea');
    control.setAttribute('aria-invalid', 'true');
    const slot = wrapper.querySelector('.error');
    fill(slot, error.message);
    slot.hidden = false;
    if (focus) control.focus();
    return;
  }
  const slot = form.querySelector('.form-error');
  if (!slot) throw error;
  fill(slot, error.message || t.unknownError(error.status));
  slot.hidden = false;
}

/**
 * Runs `action` on submit with the button disabled; an error thrown by it is shown on the form.
 * @param {HTMLFormElement} form
 * @param {() => Promise<void>} action
 */
export function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await action();
    } catch (error) {
      if (!form.isConnected) return;
      showError(form, error);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
}

export function value(form, name) {
  return form.elements.namedItem(name).value;
}
