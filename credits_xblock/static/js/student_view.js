/* The course_credits XBlock, learner view: "Check my credit status again". */
function CourseCreditsStudentView(runtime, element) {
  "use strict";
  var root = element && element.jquery ? element[0] : element;
  var section = root.querySelector(".course-credits-xblock") || root;
  var button = section.querySelector(".course-credits-refresh");
  var message = section.querySelector(".course-credits-message");
  var body = section.querySelector(".course-credits-body");
  if (!button || !body) {
    return;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    message.textContent = section.getAttribute("data-refreshing");
    fetch(runtime.handlerUrl(root, "learner_status"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: "{}"
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (data) {
      // The server renders the HTML with the same (autoescaped) template as the page.
      body.innerHTML = data.html;
      message.textContent = section.getAttribute("data-refreshed");
    }).catch(function () {
      message.textContent = section.getAttribute("data-failed");
    }).then(function () {
      button.disabled = false;
    });
  });
}
