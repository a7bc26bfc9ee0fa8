"""The HTTP step API of the contract (../shared/design/step-api.md §2): routes, auth, errors, streaming."""
