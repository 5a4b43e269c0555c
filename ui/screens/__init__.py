"""The counter's pages; each one renders what a service returned and asks for the next."""
