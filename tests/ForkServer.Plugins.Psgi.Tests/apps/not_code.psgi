[200, [], ['not an app']];
