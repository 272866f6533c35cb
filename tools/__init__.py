"""Developer tools: docs generators and layout reports; not part of the installed package."""
