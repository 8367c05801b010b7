// The whiteboard's tool, colour and width pickers, undo/redo, zoom and export buttons.
import { Icon, type IconName } from '../ui/icons.tsx';
import type { Tool, ToolStyle } from './tools.ts';

export const BOARD_COLORS = [
  '#1f2937',
  '#e11d48',
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#f59e0b',
  '#ffffff',
];
export const BOARD_WIDTHS = [2, 4, 8] as const;

const TOOL_LABELS: Record<Tool, [IconName, string]> = {
  select: ['select', 'Select and move (V)'],
  hand: ['hand', 'Pan (H, or hold Space)'],
  pen: ['pen', 'Pen (P)'],
  rect: ['rect', 'Rectangle (R)'],
  ellipse: ['ellipse', 'Ellipse (O)'],
  line: ['line', 'Line (L)'],
  arrow: ['arrow', 'Arrow (A)'],
  text: ['text', 'Text (T)'],
  sticky: ['sticky', 'Sticky note (S)'],
  eraser: ['eraser', 'Eraser (E)'],
};

export interface BoardToolbarProps {
  tools: readonly Tool[];
  tool: Tool;
  style: ToolStyle;
  zoom: number;
  canUndo: boolean;
  canRedo: boolean;
  hasSelection: boolean;
  onTool(tool: Tool): void;
  onStyle(style: ToolStyle): void;
  onUndo(): void;
  onRedo(): void;
  onDelete(): void;
  onZoom(direction: 'in' | 'out' | 'fit'): void;
  onExport(format: 'png' | 'svg'): void;
}

export function BoardToolbar(props: BoardToolbarProps) {
  const { tools, tool, style } = props;
  return (
    <div className="board-toolbar" role="toolbar" aria-label="Whiteboard tools">
      <div className="tool-group">
        {tools.map((t) => (
          <button
            key={t}
            type="button"
            className={t === tool ? 'tool active' : 'tool'}
            aria-pressed={t === tool}
            title={TOOL_LABELS[t][1]}
            aria-label={TOOL_LABELS[t][1]}
            data-tool={t}
            onClick={() => props.onTool(t)}
          >
            <Icon name={TOOL_LABELS[t][0]} />
          </button>
        ))}
      </div>
      {tools.length > 2 && (
        <>
          <fieldset className="tool-group">
            <legend className="sr-only">Colour</legend>
            {BOARD_COLORS.map((c) => (
              <button
                key={c}
                type="button"
                className={c === style.color ? 'swatch active' : 'swatch'}
                style={{ backgroundColor: c }}
                title={c}
                aria-label={`Colour ${c}`}
                onClick={() => props.onStyle({ ...style, color: c })}
              />
            ))}
          </fieldset>
          <fieldset className="tool-group">
            <legend className="sr-only">Width</legend>
            {BOARD_WIDTHS.map((w) => (
              <button
                key={w}
                type="button"
                className={w === style.width ? 'tool active' : 'tool'}
                title={`Width ${w}`}
                onClick={() => props.onStyle({ ...style, width: w })}
              >
                <span className="width-dot" style={{ width: w + 2, height: w + 2 }} />
              </button>
            ))}
          </fieldset>
          <div className="tool-group">
            <button
              type="button"
              className="tool"
              onClick={props.onUndo}
              disabled={!props.canUndo}
              title="Undo (Ctrl+Z)"
            >
              <Icon name="undo" />
            </button>
            <button
              type="button"
              className="tool"
              onClick={props.onRedo}
              disabled={!props.canRedo}
              title="Redo (Ctrl+Shift+Z)"
            >
              <Icon name="redo" />
            </button>
            <button
              type="button"
              className="tool"
              onClick={props.onDelete}
              disabled={!props.hasSelection}
              title="Delete selection (Del)"
            >
              <Icon name="trash" />
            </button>
          </div>
        </>
      )}
      <div className="tool-group">
        <button type="button" className="tool" onClick={() => props.onZoom('out')} title="Zoom out">
          −
        </button>
        <button
          type="button"
          className="tool zoom-label"
          onClick={() => props.onZoom('fit')}
          title="Fit to content"
        >
          {Math.round(props.zoom * 100)}%
        </button>
        <button type="button" className="tool" onClick={() => props.onZoom('in')} title="Zoom in">
          +
        </button>
      </div>
      <div className="tool-group">
        <button
          type="button"
          className="tool text"
          onClick={() => props.onExport('png')}
          title="Download as PNG"
        >
          PNG
        </button>
        <button
          type="button"
          className="tool text"
          onClick={() => props.onExport('svg')}
          title="Download as SVG"
        >
          SVG
        </button>
      </div>
    </div>
  );
}
