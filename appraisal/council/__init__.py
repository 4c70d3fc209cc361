"""The council: the basis of its decision, meetings that approve or return, reopening a published dossier."""
