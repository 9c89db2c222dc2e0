/** Modules from GET /modules, grouped by kind: drag one onto the canvas, or press it to add it. */
import type { ModuleInfo, NodeKind } from '../api/types.ts';
import { BARRIER_HINT } from './ModuleNode.tsx';

export const MODULE_DRAG_TYPE = 'application/x-etl-module';

const GROUPS: readonly { kind: NodeKind; title: string }[] = [
  { kind: 'extractor', title: 'Extractors' },
  { kind: 'transformer', title: 'Transformers' },
  { kind: 'loader', title: 'Loaders' },
];

interface PaletteProps {
  readonly modules: readonly ModuleInfo[];
  readonly onAdd: (module: ModuleInfo) => void;
}

export function Palette({ modules, onAdd }: PaletteProps) {
  return (
    <nav className="palette" aria-label="Modules">
      {GROUPS.map((group) => (
        <section key={group.kind} aria-labelledby={`palette-${group.kind}`}>
          <h3 id={`palette-${group.kind}`}>{group.title}</h3>
          <ul>
            {modules
              .filter((module) => module.kind === group.kind)
              .map((module) => (
                <li key={module.name}>
                  <button
                    type="button"
                    draggable
                    className={`palette-item kind-${module.kind}`}
                    data-module={module.name}
                    title={module.barrier ? `${module.description}\n\n${BARRIER_HINT}` : module.description}
                    aria-label={`Add ${module.name} ${module.kind}`}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(MODULE_DRAG_TYPE, module.name);
                      event.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(module)}
                  >
                    {module.name}
                    {module.barrier && <span className="palette-tag">barrier</span>}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
