import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

// The only module that knows about @vscode/webview-ui-toolkit. The toolkit is archived upstream; moving to its
// successor (or to plain elements) means rewriting these few functions, not the panel.

let registered = false;

/** Registers the toolkit's elements once per page. */
export function registerControls(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextField(),
  );
}

/** A button; `secondary` gives the quieter appearance. */
export function button(label: string, onClick: () => void, secondary = false): HTMLElement {
  const element = document.createElement('vscode-button');
  element.textContent = label;
  if (secondary) element.setAttribute('appearance', 'secondary');
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = label;
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

/** A labelled drop-down; the label is a real element so that screen readers announce it. */
export function dropdown(
  label: string,
  choices: readonly { value: string; label: string }[],
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const wrapper = document.createElement('label');
  wrapper.className = 'control';
  const caption = document.createElement('span');
  caption.textContent = label;
  const element = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  for (const choice of choices) {
    const option = document.createElement('vscode-option') as HTMLElement & { value: string };
    option.value = choice.value;
    option.textContent = choice.label;
    if (choice.value === value) option.setAttribute('selected', '');
    element.appendChild(option);
  }
  element.setAttribute('aria-label', label);
  // The element settles its options once it is in the page; the chosen value is set after that.
  queueMicrotask(() => (element.value = value));
  element.addEventListener('change', () => onChange(element.value));
  wrapper.append(caption, element);
  return wrapper;
}

/** A text field that reports its value when the user commits it (Enter or leaving the field). */
export function textField(
  label: string,
  value: string,
  placeholder: string,
  onChange: (value: string) => void,
): HTMLElement {
  const element = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  element.textContent = label;
  element.setAttribute('placeholder', placeholder);
  element.setAttribute('size', '10');
  element.value = value;
  element.addEventListener('change', () => onChange(element.value));
  return element;
}
