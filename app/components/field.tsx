// A labelled input with its hint or its error, wired for screen readers: the error replaces the
// hint and is what aria-describedby points at.
export function Field(props: {
  name: string;
  /** When the name is not unique on the page (two forms with a password field). */
  id?: string;
  label: string;
  type: "email" | "password" | "text";
  autoComplete: string;
  defaultValue?: string;
  /** "numeric" brings up a phone's number pad (codes). */
  inputMode?: "numeric";
  error?: string;
  hint?: string;
}) {
  const id = props.id ?? props.name;
  const describedBy = props.error ? `${id}-error` : props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        defaultValue={props.defaultValue}
        inputMode={props.inputMode}
        required
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.error ? (
        <p className="error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : props.hint ? (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
