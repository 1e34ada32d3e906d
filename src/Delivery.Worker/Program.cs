// Composition root placeholder: the CLI and hosting arrive with the pipeline and product issues.
return 0;
