pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.oauth_server",
                  "tests.helpers.oauth_mailservers"]
