// A small accessible tab strip.
export function Tabs<T extends string>({
  tabs,
  current,
  onChange,
}: {
  tabs: readonly { id: T; label: string }[];
  current: T;
  onChange(id: T): void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          aria-selected={tab.id === current}
          className={tab.id === current ? 'tab active' : 'tab'}
          onClick={() => onChange(tab.id)}
          data-tab={tab.id}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
