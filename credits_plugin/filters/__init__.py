"""
openedx-filters pipeline steps that put credits on Open edX pages.

One module per surface; ``common`` holds what they share (the "never break the
page" wrapper, the cached course card, the current user and request). The steps
are registered in ``credits_plugin.settings.common.FILTER_STEPS``; see
docs/surfaces.md for what each one adds and how it becomes visible.

===================================================  ==========================================
filter type                                          step
===================================================  ==========================================
org.openedx.learning.certificate.render.started.v1   certificate.CertificateCredits
org.openedx.learning.course_about.render.started.v1  course_about.CourseAboutCredits
org.openedx.learning.dashboard.render.started.v1     dashboard.DashboardCredits
...home.courserun.api.rendered.started.v1            learner_home.CourseRunCredits
...instructor.dashboard.render.started.v1            instructor.InstructorDashboardCredits
...instructor.dashboard.tabs.requested.v1            instructor.InstructorDashboardCreditsTab
===================================================  ==========================================
"""
