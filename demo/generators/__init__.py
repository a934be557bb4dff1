"""One module per area of the product, each with an idempotent `seed(ctx)`; the order
they run in is `demo.seed.DEMO_SEEDERS`."""
