"""The ``course_credits`` XBlock: shows, inside a course, the credits it awards."""
