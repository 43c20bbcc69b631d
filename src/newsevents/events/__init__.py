"""Event coding: who did what to whom (CAMEO and PLOVER), with negation and modality."""
