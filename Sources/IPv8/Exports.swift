// `import IPv8` gives the whole engine: the sans-IO core and this libuv shell.
@_exported import IPv8Core
