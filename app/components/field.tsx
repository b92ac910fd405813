// A labelled input with its hint or its error, wired for screen readers: the error replaces the
// hint and is what aria-describedby points at.
export function Field(props: {
  name: string;
  label: string;
  type: "email" | "password" | "text";
  autoComplete: string;
  defaultValue?: string;
  /** "numeric" brings up a phone's number pad (codes). */
  inputMode?: "numeric";
  error?: string;
  hint?: string;
}) {
  const describedBy = props.error ? `${props.name}-error` : props.hint ? `${props.name}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={props.name}>{props.label}</label>
      <input
        id={props.name}
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
        <p className="error" id={`${props.name}-error`}>
          {props.error}
        </p>
      ) : props.hint ? (
        <p className="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
