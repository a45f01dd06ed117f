// A worker whose script fails at once (the pool must fall back to the main thread).
throw new Error('broken on purpose');
