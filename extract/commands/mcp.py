"""`refs mcp`: serve the library to a coding agent over MCP on stdin/stdout (read-only).

The server lives in `extract/mcp_server.py`; the SDK is the optional extra `mcp`
(`pip install -e '.[mcp]'`), so this command says how to install it when missing.
"""

from __future__ import annotations

import argparse

from ..errors import RefsError


def register(sub) -> None:
    p = sub.add_parser(
        "mcp",
        help="serve the library to coding agents over MCP on stdio (read-only; extra `mcp`)",
        description="An MCP server on stdin/stdout: the tools search, show, anchors, cite, "
        "related and check (each answers what the command's --json prints) and the resources "
        "refs://card/<id> and refs://passage/<id>/<anchor>. Register it in the agent's MCP "
        "config (AGENTS.md shows how).",
    )
    # Also after the subcommand (`refs mcp --root DIR`), where MCP configs put it;
    # SUPPRESS keeps a `refs --root DIR mcp` given before it.
    p.add_argument(
        "--root", default=argparse.SUPPRESS, help="library root (default: the nearest one)"
    )
    p.set_defaults(func=run)


def run(lib, args) -> int:
    try:
        import mcp.server.mcpserver  # noqa: F401  (the SDK's 2.x server API)
    except ImportError:
        raise RefsError(
            "`refs mcp` needs the MCP SDK (mcp 2.x), an optional extra: "
            "pip install 'dit-refs[mcp]' (in a checkout: pip install -e '.[mcp]')"
        ) from None
    from ..mcp_server import serve

    serve(lib)
    return 0
