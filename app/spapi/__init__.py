"""The Selling Partner API backend: LWA, the JSON client, and the adapters the steps use."""
