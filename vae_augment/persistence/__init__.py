"""Model files: JSON and safetensors, safe to load, readable by later releases."""
