// Fix steps filled with what the run knows about the finding: `kubectl describe node <name>`
// becomes `kubectl describe node worker-2`. A placeholder the run cannot fill stays visible
// (`<container-id>`) and marks the step unfilled, so nobody pastes it believing it complete.
import type { About, Component, FixStepData } from '../engine/types.js';
import { isCommand } from './fix-step.js';

function hostOf(about: About): string | undefined {
  if (about.host !== undefined) return about.host;
  const url = about.endpoint ?? about.member?.clientURLs?.[0];
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** The placeholders a step may carry and where each value comes from. */
function valuesFor(component: Component, about: About): Record<string, string | undefined> {
  const nodeScoped = component === 'nodes' || component === 'kubelet';
  return {
    '<host>': hostOf(about),
    '<port>': about.port !== undefined ? String(about.port) : undefined,
    '<id>': about.member?.id,
    // `<name>` names a node only in node and kubelet steps (elsewhere it is a client or file name).
    '<name>': nodeScoped ? about.node : undefined,
    '<node>': about.node,
    '<member-host>': hostOf(about),
    '<one member client URL>': about.member?.clientURLs?.[0] ?? (component === 'etcd' ? about.endpoint : undefined),
    '<file>': about.certificate?.path,
    '<cert>': about.certificate?.path,
  };
}

/** A shell-safe rendering of a value from the cluster: anything but plain words is single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9._:/@%+=,[\]-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function fillSteps(fix: readonly string[], component: Component, about: About | undefined): FixStepData[] {
  const values = valuesFor(component, about ?? {});
  return fix.map((step) => {
    let text = step;
    for (const [placeholder, value] of Object.entries(values)) {
      if (value !== undefined && value !== '') text = text.split(placeholder).join(shellWord(value));
    }
    return { kind: isCommand(text) ? 'command' : 'advice', text, filled: !/<[a-z][a-z0-9 -]*>/i.test(text) };
  });
}
