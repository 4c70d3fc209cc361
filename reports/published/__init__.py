"""Published results of earlier years: reading the file (io, data), the import job (services), its pages."""
