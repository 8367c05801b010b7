// Placeholder for the class chat (the classroom work adds messages through the server API); it already
// occupies its place in the layout so that work slots in without moving other panels.
export function ChatPanel() {
  return (
    <section className="chat-panel" aria-label="Chat">
      <div className="panel-header">
        <h2>Chat</h2>
      </div>
      <p className="muted">Chat arrives with the classroom features.</p>
    </section>
  );
}
